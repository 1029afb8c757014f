from ledgerctl.cli.app import main

main()
