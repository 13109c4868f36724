package dev.triggerlayer.publisher.delivery.model;

/** DEAD: attempts exhausted; REDRIVING: a re-drive is under way; REDRIVEN: a re-drive delivered it. */
public enum DeadLetterStatus {
    DEAD, REDRIVING, REDRIVEN
}
