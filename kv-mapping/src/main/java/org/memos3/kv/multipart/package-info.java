/** Multipart uploads: upload and part records, completion into an object, abort. */
package org.memos3.kv.multipart;
