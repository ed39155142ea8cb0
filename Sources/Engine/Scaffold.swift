// Scaffold: replaced by the module's implementation.
