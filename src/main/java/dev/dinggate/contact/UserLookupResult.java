package dev.dinggate.contact;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * Answer of a look-up.
 *
 * @param userId the user's userId
 * @param contactType for a unionId look-up: {@code internal} (an employee) or {@code external} (an external contact)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record UserLookupResult(String userId, @Nullable String contactType) {}
