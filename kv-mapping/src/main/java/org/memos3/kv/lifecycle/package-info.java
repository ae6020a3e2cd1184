/** Bucket lifecycle rules and the background job that carries them out. */
package org.memos3.kv.lifecycle;
