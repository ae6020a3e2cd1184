/** s3-frontend: the S3 endpoint and the wiring of one memo-s3 node. */
package org.memos3.frontend;
