from trialguard.cli import main

raise SystemExit(main())
