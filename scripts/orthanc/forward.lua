-- Orthanc Lua hook: forward every instance a modality stored over DICOM (C-STORE) to CxrQa with DICOMweb STOW-RS.
-- Instances that came in over HTTP (CxrQa's own SR and SC, STOW-RS or REST uploads) are not forwarded, and neither
-- is any SR, so results never loop back. "cxrqa" is the DicomWeb.Servers entry of orthanc.json.
function OnStoredInstance(instanceId, tags, metadata, origin)
  if origin["RequestOrigin"] ~= "DicomProtocol" then
    return
  end
  if tags["Modality"] == "SR" then
    return
  end
  -- Asynchronous: a job per instance (GET /jobs shows it), so a slow screening never holds up Orthanc's C-STORE.
  RestApiPost('/dicom-web/servers/cxrqa/stow', '{"Resources":["' .. instanceId .. '"],"Synchronous":false}')
end
