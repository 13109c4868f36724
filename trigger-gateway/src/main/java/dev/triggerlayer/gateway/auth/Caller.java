package dev.triggerlayer.gateway.auth;

/** An authenticated caller: the AccessKey and the user and tenant it belongs to. */
public record Caller(String accessKeyId, long tenantId, long userId) {

    public String principal() {
        return tenantId + "/" + userId + "/" + accessKeyId;
    }
}
