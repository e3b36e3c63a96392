/** The persistent priority queue of model variants shared by the dashboard, the service and multi-model downloads. */
package dev.modeldepot.queue;
