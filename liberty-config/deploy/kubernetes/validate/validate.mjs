// Checks Kubernetes manifests against the API's schemas without a cluster: every document of every file is
// parsed as YAML and validated by the kubernetes-models class of its apiVersion and kind, whose validator is
// generated from the Kubernetes OpenAPI schemas (types, required fields, enums, formats). Those schemas allow
// fields they do not name, as the API server does without strict field validation: a misspelt field passes.
// Kinds defined by operators' CRDs have no schema here; they are named as such, checked as YAML only.
// Usage: node validate.mjs FILE.yaml...   Exit status 1 when any document is invalid.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

// Custom resources whose CRD schema cannot be had offline (not in any package from npm, Maven Central or Debian).
const WITHOUT_SCHEMA = new Set(["apps.openliberty.io/v1/OpenLibertyApplication"]);

let failures = 0;
let checked = 0;
for (const file of process.argv.slice(2)) {
  const docs = parseAllDocuments(readFileSync(file, "utf8"));
  for (const [i, doc] of docs.entries()) {
    const where = `${file} document ${i + 1}`;
    if (doc.errors.length > 0) {
      console.log(`INVALID ${where}: not YAML: ${doc.errors[0].message}`);
      failures++;
      continue;
    }
    const object = doc.toJS();
    if (object === null) {
      continue; // an empty document (a trailing ---)
    }
    const type = `${object.apiVersion}/${object.kind}`;
    const name = `${object.kind} ${object.metadata?.name ?? "(no name)"}`;
    if (WITHOUT_SCHEMA.has(type)) {
      console.log(`no schema ${where}: ${name} (${object.apiVersion}): a custom resource; checked as YAML only`);
      continue;
    }
    let model;
    try {
      model = (await import(`kubernetes-models/${object.apiVersion}/${object.kind}`))[object.kind];
    } catch (e) {
      console.log(`INVALID ${where}: no Kubernetes kind ${object.kind} in ${object.apiVersion}`);
      failures++;
      continue;
    }
    try {
      new model(object).validate();
      console.log(`valid ${where}: ${name}`);
      checked++;
    } catch (e) {
      console.log(`INVALID ${where}: ${name}: ${e.message}`);
      failures++;
    }
  }
}
console.log(`kubernetes-validate: ${checked} valid, ${failures} invalid`);
process.exit(failures > 0 ? 1 : 0);
