"""What every stage, remedy and command shares: the context a command works in, one service
inside it, its lifecycle (the one writer of status), the problems a check finds and the fixes
offered for them, and the protocols of who answers questions and who is told what happens."""
