package dev.dinggate.problem;

import org.springframework.http.HttpStatus;

/**
 * A kind of error the gateway answers with: its status, its stable {@code code} (part of the API
 * contract, callers switch on it) and a human title.
 */
public record GatewayProblem(HttpStatus status, String code, String title) {}
