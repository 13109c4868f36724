package dev.triggerlayer.publisher.directory.model;

/**
 * What the publisher needs of a registry tenant.
 *
 * @param accountId  cloud account id, published as {@code aliyunaccountid} and {@code aliyunoriginalaccountid}
 * @param homeRegion region id of the tenant's resources (the {@code subject}); the region of a bus without one
 * @param timeZone   zone in which the tenant's event times are written
 * @param edition    the registry's edition name ({@code ENTERPRISE}, …); null when the record has none
 */
public record TenantEntry(long id, String accountId, String homeRegion, String timeZone, String edition) {

    /** OpenEvent is an Enterprise Edition feature (references 003, 004); ENTERPRISE is the highest edition. */
    public static final String EVENTS_EDITION = "ENTERPRISE";

    /** A tenant whose edition is not known, as mapping code that never routes needs it. */
    public TenantEntry(long id, String accountId, String homeRegion, String timeZone) {
        this(id, accountId, homeRegion, timeZone, null);
    }

    /** Whether the tenant's edition includes open events. */
    public boolean receivesEvents() {
        return EVENTS_EDITION.equals(edition);
    }
}
