/** Who is calling and what they may do: JWT in production, HTTP Basic in the sandbox, scopes per route. */
@NullMarked
package dev.dinggate.security;

import org.jspecify.annotations.NullMarked;
