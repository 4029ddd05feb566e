/** Tags added to every resource: any key, string values. */
import { z } from "zod";
import { field } from "../fields";

export const tagValue = field(z.string(), { expected: "a string tag value", example: "payments" });
