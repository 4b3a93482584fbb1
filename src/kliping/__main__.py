from kliping.cli import main

raise SystemExit(main())
