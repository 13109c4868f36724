package dev.triggerlayer.scheduler.cron;

/**
 * Thrown by {@link CronExpression#parse(String)} when a cron expression is malformed or breaks one of the
 * product's scheduling limits. The {@linkplain #getMessage() message} is meant to be shown to the user as is:
 * it quotes the expression and names the offending field or limit.
 */
public class InvalidCronException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String expression;

    /**
     * @param expression the rejected expression text as supplied (may be {@code null})
     * @param message    user-facing explanation of the problem
     */
    public InvalidCronException(String expression, String message) {
        super(message);
        this.expression = expression;
    }

    /** The rejected expression text exactly as supplied; {@code null} if none was supplied. */
    public String expression() {
        return expression;
    }
}
