import ArgumentParser
import Engine
import Foundation

setlocale(LC_ALL, "")
if let warning = ModelContext.cpuOverrideWarning(environment: ProcessInfo.processInfo.environment) {
    FileHandle.standardError.write(Data("nook: \(warning)\n".utf8))
}
Nook.runAsMain()
