/** Start-up checks that stop a misconfigured gateway with one clear message. */
@NullMarked
package dev.dinggate.startup;

import org.jspecify.annotations.NullMarked;
