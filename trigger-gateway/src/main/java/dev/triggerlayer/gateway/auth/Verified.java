package dev.triggerlayer.gateway.auth;

import dev.triggerlayer.gateway.signature.ParsedSignature;

/** A request whose signature checked out: who sent it and what it signed. Its nonce is not claimed yet. */
public record Verified(Caller caller, ParsedSignature signed) {
}
