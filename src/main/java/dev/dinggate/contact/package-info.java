/** Everyday Contacts operations for HR systems: users, look-ups, every employee, departments. */
@NullMarked
package dev.dinggate.contact;

import org.jspecify.annotations.NullMarked;
