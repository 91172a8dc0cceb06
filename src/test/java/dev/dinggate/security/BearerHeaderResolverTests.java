package dev.dinggate.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;

/** The fast path must answer exactly as Spring Security's resolver does. */
class BearerHeaderResolverTests {

    private final BearerHeaderResolver resolver = new BearerHeaderResolver();
    private final DefaultBearerTokenResolver standard = new DefaultBearerTokenResolver();

    @ParameterizedTest
    @ValueSource(
            strings = {
                "Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJociJ9.c2lnbmF0dXJl",
                "bearer abc",
                "BEARER a-b.c_d~e+f/g==",
                "Bearer x=",
                "Basic YWRtaW46YWRtaW4=",
                "Digest abc",
                "Bearer",
                "Bearer ",
                "Bearer a b",
                "Bearer a=b",
                "Bearer ===",
                "Bearer a\tb",
                "Bearer ä",
                "Bearer  abc",
                "Bearer abc\n",
                "Bearerabc"
            })
    void answersAsSpringSecurityDoes(String authorization) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/v1/users/user1001");
        request.addHeader("Authorization", authorization);

        Object expected = outcome(() -> standard.resolve(request));

        assertThat(outcome(() -> resolver.resolve(request))).isEqualTo(expected);
    }

    @Test
    void noHeaderIsNoToken() {
        assertThat(resolver.resolve(new MockHttpServletRequest("GET", "/api/v1/users/user1001")))
                .isNull();
    }

    @Test
    void aSecondTokenInTheQueryIsAnsweredAsSpringSecurityAnswersIt() {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/v1/users/user1001");
        request.addHeader("Authorization", "Bearer abc");
        request.setParameter("access_token", "def");

        assertThat(outcome(() -> resolver.resolve(request))).isEqualTo(outcome(() -> standard.resolve(request)));
    }

    private static Object outcome(Supplier<String> resolution) {
        try {
            return String.valueOf(resolution.get());
        } catch (OAuth2AuthenticationException refused) {
            return refused.getError().getErrorCode() + ": " + refused.getError().getDescription();
        }
    }
}
