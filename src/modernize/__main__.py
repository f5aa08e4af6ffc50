from modernize.cli import main

main()
