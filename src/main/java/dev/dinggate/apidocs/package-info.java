/** The API's OpenAPI description (springdoc): security schemes, problem responses and their codes, examples. */
@NullMarked
package dev.dinggate.apidocs;

import org.jspecify.annotations.NullMarked;
