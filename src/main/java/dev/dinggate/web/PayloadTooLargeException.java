package dev.dinggate.web;

import java.io.IOException;

/** A request body grew past {@code gateway.max-request-body-size} while it was being read. */
class PayloadTooLargeException extends IOException {

    PayloadTooLargeException(long limit) {
        super("request body larger than " + limit + " bytes");
    }
}
