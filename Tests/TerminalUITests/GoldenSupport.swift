import TestSupport

/// This target's golden files, in `Golden/` next to this file.
let Golden = GoldenFolder(besides: #filePath)
