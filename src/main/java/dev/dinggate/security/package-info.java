/**
 * Who is calling and what they may do: JWT in production, HTTP Basic in the sandbox, the scope each handler
 * declares ({@link dev.dinggate.security.RequiresScope}), denial where it declares none.
 */
@NullMarked
package dev.dinggate.security;

import org.jspecify.annotations.NullMarked;
