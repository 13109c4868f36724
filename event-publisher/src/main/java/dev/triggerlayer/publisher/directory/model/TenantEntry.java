package dev.triggerlayer.publisher.directory.model;

/**
 * What the publisher needs of a registry tenant.
 *
 * @param accountId  cloud account id, published as {@code aliyunaccountid}
 * @param homeRegion region id, published as {@code aliyunregionid}
 * @param timeZone   zone in which the tenant's event times are written
 */
public record TenantEntry(long id, String accountId, String homeRegion, String timeZone) {
}
