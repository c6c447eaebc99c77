package dev.hir.core.cli;

/** The framework's version, from the jar manifest. */
public final class Version {
    private Version() {}

    /** The version of hir-core, or a development marker when run from classes. */
    public static String current() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-dev" : v;
    }
}
