"""How a service is proven and judged: the walk through the stages, the one way fixes are
offered, a failure recorded with its findings, and what is proven now (standing)."""
