package dev.dinggate.contact;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import dev.dinggate.problem.GatewayProblem;
import dev.dinggate.problem.GatewayProblemException;
import org.springframework.stereotype.Component;

/**
 * Validates mobile numbers and writes them the way DingTalk accepts them whatever the
 * organisation's region: {@code +<country code>-<national number>} (the FAQ's answer to 60103).
 */
@Component
class MobileNumbers {

    private final PhoneNumberUtil numbers = PhoneNumberUtil.getInstance();
    private final String defaultRegion;

    MobileNumbers(ContactProperties properties) {
        this.defaultRegion = properties.defaultRegion();
    }

    /** {@code 138 1234 5678} → {@code +86-13812345678}; an invalid number is a 400 before DingTalk is called. */
    String normalise(String mobile) {
        PhoneNumber number;
        try {
            number = numbers.parse(mobile, defaultRegion);
        } catch (NumberParseException unparseable) {
            throw invalid();
        }
        if (!numbers.isValidNumber(number)) {
            throw invalid();
        }
        return "+" + number.getCountryCode() + "-" + numbers.getNationalSignificantNumber(number);
    }

    private GatewayProblemException invalid() {
        return new GatewayProblemException(
                GatewayProblem.USER_MOBILE_INVALID,
                "Not a valid mobile number; give it with "
                        + "its country code (+86-13812345678) or as a number of the default region " + defaultRegion
                        + ".");
    }
}
