/**
 * The API's OpenAPI description (springdoc), from what each handler declares: its scope
 * ({@link dev.dinggate.security.RequiresScope}), its problems ({@link dev.dinggate.apidocs.OperationProblems}),
 * its example bodies ({@link dev.dinggate.apidocs.RequestExample}); the problem codes are the catalogue's.
 */
@NullMarked
package dev.dinggate.apidocs;

import org.jspecify.annotations.NullMarked;
