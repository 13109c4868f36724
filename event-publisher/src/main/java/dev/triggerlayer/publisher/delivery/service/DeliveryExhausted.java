package dev.triggerlayer.publisher.delivery.service;

/** Every attempt failed; the event is for the dead letters. */
public class DeliveryExhausted extends RuntimeException {

    private final int attempts;
    private final DeliveryFailure last;

    public DeliveryExhausted(int attempts, DeliveryFailure last) {
        super("delivery failed " + attempts + " times, last: " + last.getMessage(), last);
        this.attempts = attempts;
        this.last = last;
    }

    public int attempts() {
        return attempts;
    }

    public DeliveryFailure last() {
        return last;
    }
}
