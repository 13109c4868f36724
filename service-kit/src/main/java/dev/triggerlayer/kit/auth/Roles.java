package dev.triggerlayer.kit.auth;

/** Roles of the admin APIs, used in {@code @RolesAllowed} on the resources themselves. */
public final class Roles {

    /** Everything: create, change, delete, run operations. */
    public static final String OPERATOR = "operator";
    /** Read-only queries. */
    public static final String READER = "reader";
    /** Extensions' answers to checks, relayed by the gateway (docs/extensions.md). */
    public static final String CHECK_ANSWERS = "check-answers";
    /** Other services' tenant-level operations held by extension checks (the registry's workspace deletion). */
    public static final String EXTENSION_HOLDS = "extension-holds";

    private Roles() {
    }
}
