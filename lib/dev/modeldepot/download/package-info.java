/** The download engine: resumable, multi-connection HTTP transfers, verified before they become visible. */
package dev.modeldepot.download;
