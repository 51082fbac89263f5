import Pipeline

RGDMCommand.mainWithConfigFiles()
