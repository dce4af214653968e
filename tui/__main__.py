from tui.cli import main

if __name__ == "__main__":  # worker processes are spawned: they import this module, they must not run it
    raise SystemExit(main())
