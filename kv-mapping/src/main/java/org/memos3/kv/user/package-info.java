/**
 * Users and their access keys in the grid's USERS table (group 0; {@code u/NAME} and {@code
 * k/ACCESSKEYID}), with secrets sealed under the master key. Bucket grants live in the bucket
 * records ({@link org.memos3.kv.bucket.Bucket#grants()}); this package checks that a granted user
 * exists and removes a deleted user's grants.
 */
package org.memos3.kv.user;
