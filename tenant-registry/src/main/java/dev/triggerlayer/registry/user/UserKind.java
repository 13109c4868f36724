package dev.triggerlayer.registry.user;

/** A tenant's root account, or a sub-account (RAM user) it created. */
public enum UserKind {
    ROOT, SUB
}
