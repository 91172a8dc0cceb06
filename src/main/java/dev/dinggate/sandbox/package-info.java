/** The sandbox: an embedded DingTalk simulator with a seeded organisation, active only in the {@code sandbox} profile. */
@NullMarked
package dev.dinggate.sandbox;

import org.jspecify.annotations.NullMarked;
