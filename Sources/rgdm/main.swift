import Pipeline

RGDMCommand.main()
