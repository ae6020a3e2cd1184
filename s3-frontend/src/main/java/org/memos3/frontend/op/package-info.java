/**
 * S3 actions: routing, authentication at the door, one handler per action, and the translation of
 * every failure into S3's error answer. No HTTP library types here.
 */
package org.memos3.frontend.op;
