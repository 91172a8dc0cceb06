package dev.dinggate.security;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;

/**
 * Spring Security's bearer token resolution, with a fast path for the well-formed header every
 * request carries. The standard resolver matches the whole header, a JWT of several hundred
 * characters, against a case-insensitive regular expression: a tenth of a read's CPU
 * (docs/benchmarks.md). The fast path accepts only what that expression accepts; everything else
 * (no header, another scheme, a malformed token) goes to the
 * standard resolver, so refusals and their messages are Spring's own.
 */
final class BearerHeaderResolver implements BearerTokenResolver {

    private static final String PREFIX = "Bearer ";

    private final BearerTokenResolver standard = new DefaultBearerTokenResolver();

    @Override
    public @Nullable String resolve(HttpServletRequest request) {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header != null
                && header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())
                && isToken68(header, PREFIX.length())) {
            return header.substring(PREFIX.length());
        }
        return standard.resolve(request);
    }

    /** RFC 6750's b64token: {@code [A-Za-z0-9-._~+/]+=*}, as DefaultBearerTokenResolver's pattern has it. */
    private static boolean isToken68(String header, int start) {
        int end = header.length();
        while (end > start && header.charAt(end - 1) == '=') {
            end--;
        }
        if (end == start) {
            return false;
        }
        for (int i = start; i < end; i++) {
            char c = header.charAt(i);
            boolean allowed = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '-'
                    || c == '.'
                    || c == '_'
                    || c == '~'
                    || c == '+'
                    || c == '/';
            if (!allowed) {
                return false;
            }
        }
        return true;
    }
}
