import Foundation

setlocale(LC_ALL, "")
Nook.main()
