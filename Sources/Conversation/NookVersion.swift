/// The version of nook written into session logs.
public enum NookVersion {
    public static let current = "0.1.0"
}
