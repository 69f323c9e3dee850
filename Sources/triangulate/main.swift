import TriangulateCLI

TriangulateCommand.runAndExit()
