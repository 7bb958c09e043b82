/** Test helper: the Events API stand-in over HTTPS, checking every Event with kubernetes-models' OpenAPI schema. */
import { Event } from "kubernetes-models/events.k8s.io/v1/Event";
import {
  startEventsApiStandIn,
  type EventsApiStandIn,
  type EventsApiStandInOptions,
} from "../../devstack/kubernetes/startEventsApiStandIn.js";

/** Throws when `obj` is not a valid events.k8s.io/v1 Event by the Kubernetes OpenAPI schema. */
export function validateEventModel(obj: unknown): void {
  new Event(obj as ConstructorParameters<typeof Event>[0]).validate();
}

/** Starts the stand-in with TLS and kubernetes-models validation (options may add authorization rules). */
export function startValidatedEventsApi(o: EventsApiStandInOptions = {}): Promise<EventsApiStandIn> {
  return startEventsApiStandIn({ tls: true, validate: validateEventModel, ...o });
}
