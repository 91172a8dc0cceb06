/** What every HTTP answer shares: problem details, request ids, request size limits. */
@NullMarked
package dev.dinggate.web;

import org.jspecify.annotations.NullMarked;
