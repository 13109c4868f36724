package dev.triggerlayer.publisher.delivery.service;

/** One failed delivery attempt: the endpoint's HTTP status if it answered, and what went wrong. */
public class DeliveryFailure extends RuntimeException {

    private final Integer status;

    public DeliveryFailure(Integer status, String message) {
        super(message);
        this.status = status;
    }

    public Integer status() {
        return status;
    }

    static DeliveryFailure of(Throwable t) {
        if (t instanceof DeliveryFailure f) {
            return f;
        }
        Throwable cause = t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
        return new DeliveryFailure(null, cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage()));
    }
}
