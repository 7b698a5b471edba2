"""What bringup keeps between runs, under the workspace's state/ folder: each service's progress
(model, store), the append-only journal, and the services' own logs."""
