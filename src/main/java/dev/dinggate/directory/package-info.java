/**
 * The directory mirror: DingTalk's departments and users kept in the gateway's database, filled by a paced full
 * sync on one replica at a time, kept fresh by DingTalk's event stream and by the gateway's own changes, and read
 * by the directory routes (search, paging, the change feed, status) and by the contact routes, so that reads cost
 * no DingTalk quota. Depends on the DingTalk facade and its stream; no feature depends on its tables.
 */
@NullMarked
package dev.dinggate.directory;

import org.jspecify.annotations.NullMarked;
