/**
 * The demo: generated model files of realistic shape (GGUF, safetensors) served by an embedded
 * origin on 127.0.0.1, so the dashboard can be shown without any network beyond loopback.
 */
package dev.modeldepot.demo;
