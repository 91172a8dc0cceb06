/** Enterprise Accounts: change an account's DingTalk ID, make its fields visible in other organisations. */
@NullMarked
package dev.dinggate.orgaccount;

import org.jspecify.annotations.NullMarked;
