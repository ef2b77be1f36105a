from copilot_tui.cli import main

raise SystemExit(main())
