// The Pulumi program: validated config in, one composition per stack role, stack outputs out.
import { composeStack } from "./stacks";
import { loadStackConfig } from "./stacks/runtimeConfig";

export = composeStack(loadStackConfig());
